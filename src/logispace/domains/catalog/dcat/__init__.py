"""DCAT-AP 3 export (数据目录互操作): the public catalogue as JSON-LD or Turtle.

:mod:`.service` reads the published resources, :mod:`.graph` builds the RDF graph from them (pure),
:mod:`.api` serves it.
"""
