. scripts/lib.sh
clean_cache
