require_relative "lib/store"
Store.open
