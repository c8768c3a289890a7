package pairing

import "testing"

func TestLoadZone(t *testing.T) {
	tests := []struct {
		name       string
		ok, cached bool
	}{
		{"Europe/Berlin", true, true},
		{"UTC", true, true},
		{"Europe//Berlin", true, false}, // time.LoadLocation takes it; another spelling is not kept
		{"Mars/Olympus_Mons", false, false},
		{"../../etc/passwd", false, false},
	}
	for _, tt := range tests {
		first, err := LoadZone(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("LoadZone(%q) = %v, %v; want found %v", tt.name, first, err, tt.ok)
			continue
		}
		again, err2 := LoadZone(tt.name)
		if tt.cached && (err2 != nil || again != first || first.String() != tt.name) {
			t.Errorf("LoadZone(%q) again = %p %v, first %p: want the same zone, remembered", tt.name, again, err2, first)
		}
		if _, kept := zones.Load(tt.name); kept != tt.cached {
			t.Errorf("LoadZone(%q) kept = %v; want %v: only zones found under their clean name", tt.name, kept, tt.cached)
		}
	}
}

func BenchmarkLoadZone(b *testing.B) {
	for range b.N {
		if _, err := LoadZone("Europe/Berlin"); err != nil {
			b.Fatal(err)
		}
	}
}
