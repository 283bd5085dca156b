package formal

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ErrUnavailable is returned when a tool is not installed.
var ErrUnavailable = errors.New("tool not installed")

// HowToInstallTLC says how to get TLC.
const HowToInstallTLC = "TLC not found: download tla2tools.jar from the TLA+ releases (github.com/tlaplus/tlaplus/releases), " +
	"install Java 11+, and set TLA2TOOLS_JAR=/path/to/tla2tools.jar (or put tla2tools.jar in the current directory)"

// HowToInstallMCRL2 says how to get mCRL2.
const HowToInstallMCRL2 = "mCRL2 not found: install the mCRL2 toolset (www.mcrl2.org, or build it from github.com/mCRL2org/mCRL2 with cmake) " +
	"and set MCRL2_BIN to the directory holding mcrl22lps, lps2lts, lps2pbes, pbessolve, ltscompare (or put them on PATH)"

// TLC locates java and tla2tools.jar.
type TLC struct {
	Java string
	Jar  string
	// CommunityJar is CommunityModules.jar beside tla2tools.jar, if present.
	CommunityJar string
}

// FindTLC looks for TLA2TOOLS_JAR, then ./tla2tools.jar, then tla2tools.jar
// in a PATH directory.
func FindTLC() (*TLC, error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, fmt.Errorf("%w: java is not on PATH. %s", ErrUnavailable, HowToInstallTLC)
	}
	candidates := []string{os.Getenv("TLA2TOOLS_JAR"), "tla2tools.jar"}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		candidates = append(candidates, filepath.Join(dir, "tla2tools.jar"))
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && st.Mode().IsRegular() {
			abs, _ := filepath.Abs(c)
			t := &TLC{Java: java, Jar: abs}
			if cm := filepath.Join(filepath.Dir(abs), "CommunityModules.jar"); isFile(cm) {
				t.CommunityJar = cm
			}
			return t, nil
		}
	}
	if env := os.Getenv("TLA2TOOLS_JAR"); env != "" {
		return nil, fmt.Errorf("%w: TLA2TOOLS_JAR=%s does not exist. %s", ErrUnavailable, env, HowToInstallTLC)
	}
	return nil, fmt.Errorf("%w: %s", ErrUnavailable, HowToInstallTLC)
}

// MCRL2 locates the mCRL2 tools.
type MCRL2 struct {
	Bin string // directory of the tools
}

// mcrl2Tools are the tools the runner uses.
var mcrl2Tools = []string{"mcrl22lps", "lps2lts", "ltsinfo", "ltscompare", "ltsconvert", "lps2pbes", "pbessolve"}

// FindMCRL2 looks in MCRL2_BIN, then on PATH.
func FindMCRL2() (*MCRL2, error) {
	if dir := os.Getenv("MCRL2_BIN"); dir != "" {
		for _, t := range mcrl2Tools {
			if !isFile(filepath.Join(dir, t)) {
				return nil, fmt.Errorf("%w: MCRL2_BIN=%s has no %s. %s", ErrUnavailable, dir, t, HowToInstallMCRL2)
			}
		}
		return &MCRL2{Bin: dir}, nil
	}
	p, err := exec.LookPath("mcrl22lps")
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrUnavailable, HowToInstallMCRL2)
	}
	dir := filepath.Dir(p)
	for _, t := range mcrl2Tools {
		if !isFile(filepath.Join(dir, t)) {
			return nil, fmt.Errorf("%w: %s has mcrl22lps but no %s. %s", ErrUnavailable, dir, t, HowToInstallMCRL2)
		}
	}
	return &MCRL2{Bin: dir}, nil
}

// Tool returns the path of an mCRL2 tool.
func (m *MCRL2) Tool(name string) string { return filepath.Join(m.Bin, name) }

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
