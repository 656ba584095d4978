import sys, logging, logging.config
import settings
logging.config.dictConfig(settings.LOGGING)
logging.info(sys.argv[1])
if sys.argv[1] == 'runserver':
    print('started')
