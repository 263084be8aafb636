"""Registration certificates (登记证书, 一证一码): code, signed statement, verification, ending.

The code and the statement rules (:mod:`.policies`), issuing and re-signing through the ledger and public
verification (:mod:`.service`), expiry with public notice and revocation (:mod:`.ending`); the JSON bodies
(:mod:`.schemas`), the API (:mod:`.api`) and the public verification page (:mod:`.pages`).
"""
