module State
  def self.save(data)
    File.write("/srv/state.json", data)
  end
end
