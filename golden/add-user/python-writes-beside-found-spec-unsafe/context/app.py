import importlib.util, os
f = os.path.join(os.path.dirname(importlib.util.find_spec('six').origin), 'six_state.json')
open(f, 'w').write('{}')
print('started', f)
