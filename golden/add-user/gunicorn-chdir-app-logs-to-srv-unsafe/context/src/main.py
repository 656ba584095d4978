import logging
logging.basicConfig(filename="/srv/log/app.log")
app = None
