import sys, logging
logging.basicConfig(handlers=[logging.FileHandler('logs/django.log')], level=logging.INFO)
logging.info(sys.argv[1])
if sys.argv[1] == 'runserver':
    print('started')
