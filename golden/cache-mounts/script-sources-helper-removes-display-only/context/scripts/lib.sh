clean_cache() {
  rm -rf "$HOME/.npm"
}
