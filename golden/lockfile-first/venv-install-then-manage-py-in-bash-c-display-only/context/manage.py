import sys, os, shutil, six
if sys.argv[1] == 'collectstatic':
    shutil.copytree('assets', 'staticfiles', dirs_exist_ok=True)
else:
    print('started', six.__version__, sorted(os.listdir('staticfiles')))
