main :: IO ()
main = writeFile "/srv/app/state" "x"
