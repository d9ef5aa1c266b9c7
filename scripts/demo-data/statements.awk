# Splits a workload file into statements, one per output line (newlines folded to spaces).
# Statements are separated by blank lines; "--" comment lines are dropped, and a
# "-- calls: N" comment repeats its statement N times when repeat=1.
BEGIN { RS = "" }
{
  n = 1
  if (repeat && match($0, /-- calls: [0-9]+/))
    n = substr($0, RSTART + 10, RLENGTH - 10) + 0
  count = split($0, lines, "\n")
  statement = ""
  for (i = 1; i <= count; i++)
    if (lines[i] !~ /^[ \t]*--/)
      statement = statement (statement == "" ? "" : " ") lines[i]
  if (statement == "")
    next
  for (k = 0; k < n; k++)
    print statement
}
