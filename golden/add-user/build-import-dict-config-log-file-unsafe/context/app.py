import logging.config
logging.config.dictConfig({'version': 1, 'handlers': {'f': {'class': 'logging.FileHandler', 'filename': 'app.log'}}, 'root': {'handlers': ['f'], 'level': 'INFO'}})
logging.info('loaded')
if __name__ == '__main__':
    print('started')
