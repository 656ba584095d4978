import logging.config
logging.config.fileConfig('logging.ini')
