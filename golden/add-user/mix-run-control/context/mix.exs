defmodule App.MixProject do
end
