defmodule App do
  def start(_, _) do
    File.write!("tmp/started", "x")
    Plug.Cowboy.http(App.Router, [], port: 4000)
  end
end
