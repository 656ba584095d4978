require "bundler/setup"
Bundler.require(:default)
puts %w[Greet Loud Extra Devtool].map { |m| Object.const_defined?(m) ? Object.const_get(m).word : "-" }.join(" ")
puts "loaded=" + Gem.loaded_specs.keys.sort.join(",")
puts "greet_at=" + Gem.loaded_specs["greet"].full_gem_path
