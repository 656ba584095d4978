sh -e docker/setup.sh
exec node index.js
