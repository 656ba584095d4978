wsgi_app = "app:app"
workers = 2
