set -e
sh scripts/db/init.sh
