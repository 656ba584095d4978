import os
os.makedirs('data', exist_ok=True)
open('data/visits.txt', 'w').write('0')
