"""Demand forecasts on the platform's own data (平台运量预测): hourly volumes (shipments and tonnes) per
corridor and commodity from the stored waybills the caller may see, forecast with statsforecast.

:mod:`.volumes` is pure (bucketing, the model rule, accuracy on a holdout); :mod:`.service` reads the
waybills through :mod:`.repository`; :mod:`.api` answers ``GET /api/v1/tower/forecasts``. statsforecast
is imported on the first fit only (importing it costs seconds).
"""
