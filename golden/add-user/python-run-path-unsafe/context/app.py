import runpy
runpy.run_path('boot.py')
print('started')
