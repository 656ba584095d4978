import logging
logging.basicConfig(filename='/var/log/myapp.log', level=logging.INFO)
logging.info('start')
