defmodule App.Store do
  def init do
    File.mkdir_p!("/srv/store")
  end
end
