open(my $fh, ">>", "/srv/log/app.log") or die;
print $fh "x";
