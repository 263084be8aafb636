"""LogiSpace (物流可信数据空间): a trusted data space for logistics data."""

__version__ = "0.1.0"
