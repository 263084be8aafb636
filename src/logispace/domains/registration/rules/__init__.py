"""Registration rules as data (登记规则): the two state machines and the required materials.

State machine A of applications (:mod:`.application_table` holds the rows, :mod:`.applications` applies
them), state machine B of records (:mod:`.records`) and the materials each application needs
(:mod:`.materials`). Pure: no database, no I/O.
"""
