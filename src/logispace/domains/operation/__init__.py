"""Authorized operation of public data (公共数据资源授权运营): plans, operator selection, agreements,
products and, in :mod:`.pricing`, the price formation mechanism (价格形成机制, 004:1007-1045)."""
