"""Staff pages (trang cán bộ): reception desk, work queues, the dossier page. Thin: parse, call a service
or selector, render. Every page works without JavaScript; htmx swaps parts of it when present."""
