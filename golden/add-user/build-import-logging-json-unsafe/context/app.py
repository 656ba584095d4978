import json, logging, logging.config
logging.config.dictConfig(json.load(open('logging.json')))
logging.info('loaded')
if __name__ == '__main__':
    print('started')
