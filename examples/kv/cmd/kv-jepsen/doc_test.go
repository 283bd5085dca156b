package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// docCommand is one kv-jepsen command of docs/CLIENT.md with the exit code
// its comment announces.
type docCommand struct {
	line int
	args []string
	exit int
}

const docPrefix = "go run ./examples/kv/cmd/kv-jepsen"

var exitComment = regexp.MustCompile(`exit (\d+)`)

// docCommands reads the kv-jepsen commands of the walkthrough's sh blocks.
func docCommands(t *testing.T) []docCommand {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "docs", "CLIENT.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []docCommand
	inSh, want := false, -1
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "```"):
			inSh, want = l == "```sh", -1
		case !inSh:
		case strings.HasPrefix(l, "#"):
			want = -1
			if m := exitComment.FindStringSubmatch(l); m != nil {
				want, _ = strconv.Atoi(m[1])
			}
		case strings.HasPrefix(l, docPrefix):
			if want < 0 {
				t.Fatalf("docs/CLIENT.md:%d: %q has no comment saying its exit code", i+1, l)
			}
			out = append(out, docCommand{line: i + 1, args: strings.Fields(strings.TrimPrefix(l, docPrefix)), exit: want})
		}
	}
	return out
}

// Every kv-jepsen command of docs/CLIENT.md works as written and exits as
// its comment says (run in-process, with /tmp/ replaced by a temporary
// directory; the commands run in order, so a check reads the run before it).
func TestClientDocCommands(t *testing.T) {
	tmp := t.TempDir()
	cmds := docCommands(t)
	if len(cmds) < 5 {
		t.Fatalf("only %d kv-jepsen commands found in docs/CLIENT.md", len(cmds))
	}
	for _, c := range cmds {
		args := make([]string, len(c.args))
		for i, a := range c.args {
			args[i] = strings.Replace(a, "/tmp/", tmp+"/", 1)
		}
		code, out, errOut := kvJepsen(t, args...)
		if code != c.exit {
			t.Errorf("docs/CLIENT.md:%d: kv-jepsen %s: exit %d, the doc says %d\n%s%s",
				c.line, strings.Join(c.args, " "), code, c.exit, out, errOut)
		}
	}
}
