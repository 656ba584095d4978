import os
os.makedirs('_build', exist_ok=True)
open('_build/index.html','w').write('<p>'+open('index.txt').read()+'</p>')
