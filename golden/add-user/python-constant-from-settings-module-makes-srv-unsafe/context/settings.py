EXPORT_DIR = "/srv/exports"
