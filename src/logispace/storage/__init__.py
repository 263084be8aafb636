"""Data plane (数据平面): storage components below the domains, free of domain models."""
