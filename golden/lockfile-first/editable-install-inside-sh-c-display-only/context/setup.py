from setuptools import setup
setup(name='myapp', version='1.0', py_modules=['myapp'])
