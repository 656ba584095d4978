import logging, logging.config
logging.config.fileConfig('logging.ini')
logging.warning('loaded')
if __name__ == '__main__':
    print('started')
