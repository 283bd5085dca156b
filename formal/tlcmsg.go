package formal

import (
	"bufio"
	"regexp"
	"strconv"
	"strings"
)

// TLC message codes of `-tool` output (tlc2.output.EC).
const (
	msgInvariantViolatedInitial  = 2107
	msgPropertyViolatedInitial   = 2108
	msgInvariantViolatedBehavior = 2110
	msgActionPropertyViolated    = 2112
	msgDeadlock                  = 2114
	msgTemporalViolated          = 2116
	msgSuccess                   = 2193
	msgSearchDepth               = 2194
	msgStats                     = 2199
	msgVersion                   = 2262
	msgFinished                  = 2186
)

// tlcMsg is one `-tool` message: @!@!@STARTMSG code:class @!@!@ ... @!@!@ENDMSG code @!@!@.
type tlcMsg struct {
	Code  int
	Class int
	Text  string
}

var startMsg = regexp.MustCompile(`^@!@!@STARTMSG (\d+):(\d+) @!@!@$`)

// parseTLCMessages splits TLC's -tool output into messages; text outside
// messages is ignored.
func parseTLCMessages(out string) []tlcMsg {
	var msgs []tlcMsg
	var cur *tlcMsg
	var body []string
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := startMsg.FindStringSubmatch(line); m != nil {
			code, _ := strconv.Atoi(m[1])
			class, _ := strconv.Atoi(m[2])
			cur, body = &tlcMsg{Code: code, Class: class}, nil
			continue
		}
		if cur != nil && strings.HasPrefix(line, "@!@!@ENDMSG ") {
			cur.Text = strings.Join(body, "\n")
			msgs = append(msgs, *cur)
			cur = nil
			continue
		}
		if cur != nil {
			body = append(body, line)
		}
	}
	return msgs
}

var (
	reInvariant = regexp.MustCompile(`Invariant (\w+) is violated`)
	reStats     = regexp.MustCompile(`([\d,]+) states generated, ([\d,]+) distinct states found`)
	reDepth     = regexp.MustCompile(`depth of the complete state graph search is (\d+)`)
	reVersion   = regexp.MustCompile(`(TLC2 Version [^\n]*)`)
)

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	return n
}
