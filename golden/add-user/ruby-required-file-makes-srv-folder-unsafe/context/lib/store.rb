require "fileutils"

module Store
  def self.open
    FileUtils.mkdir_p("/srv/data")
  end
end
