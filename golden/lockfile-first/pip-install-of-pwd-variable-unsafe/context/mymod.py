NAME = 'mymod'
