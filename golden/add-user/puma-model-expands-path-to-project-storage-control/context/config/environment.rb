require "fileutils"
require "logger"

Dir[File.join(__dir__, "initializers", "*.rb")].sort.each { |f| require f }
Dir[File.join(__dir__, "..", "app", "**", "*.rb")].sort.each { |f| require f }
