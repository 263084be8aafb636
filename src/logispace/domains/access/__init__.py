"""Usage control and delivery under a grant (数据授权使用与交付)."""
