from mysite import storage
application = None
