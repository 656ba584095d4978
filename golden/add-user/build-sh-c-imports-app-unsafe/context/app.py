import logging
logging.basicConfig(filename='app.log', level=logging.INFO)
logging.info('loaded')
if __name__ == '__main__':
    print('started')
