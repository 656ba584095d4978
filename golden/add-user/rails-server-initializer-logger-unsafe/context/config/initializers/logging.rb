Rails.application.config.logger = Logger.new("/srv/log/rails.log")
