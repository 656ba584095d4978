import json
json.dump({'runs': 1}, open('settings.json', 'w'))
