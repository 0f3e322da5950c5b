package desk_test

import (
	"context"
	"sync"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// eachTwoNodes runs fn per dialect with two stores opened separately on
// the same database, as two server nodes (or a node and the CLI) have.
func eachTwoNodes(t *testing.T, fn func(t *testing.T, node, other *desk.Desk)) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			dsn := testdb.DSN(t, dialect)
			var ds [2]*desk.Desk
			for i := range ds {
				db, err := store.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				ds[i] = desk.New(db)
			}
			fn(t, ds[0], ds[1])
		})
	}
}

// TestAccountChangesTakeEffectAtOnce: a change made through one store is
// seen by the next authentication on another, with no delay.
func TestAccountChangesTakeEffectAtOnce(t *testing.T) {
	yes, agent := true, rapport.RoleAgent
	for _, tc := range []struct {
		name     string
		change   func(ctx context.Context, d *desk.Desk) error
		wantCode string       // from the next Authenticate
		wantRole rapport.Role // when it still succeeds
	}{
		{"revoke", func(ctx context.Context, d *desk.Desk) error {
			_, err := d.RevokeTokens(ctx, "boss@example.com")
			return err
		}, rapport.EUNAUTHORIZED, ""},
		{"disable", func(ctx context.Context, d *desk.Desk) error {
			_, err := d.UpdateUser(ctx, "boss@example.com", desk.UserUpdate{Disabled: &yes})
			return err
		}, rapport.EUNAUTHORIZED, ""},
		{"demote", func(ctx context.Context, d *desk.Desk) error {
			_, err := d.UpdateUser(ctx, "boss@example.com", desk.UserUpdate{Role: &agent})
			return err
		}, "", rapport.RoleAgent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eachTwoNodes(t, func(t *testing.T, node, cli *desk.Desk) {
				ctx := context.Background()
				mustAdd(t, cli, "root@example.com", rapport.RoleAdmin)
				mustAdd(t, cli, "boss@example.com", rapport.RoleAdmin)
				secret, err := cli.CreateToken(ctx, "boss@example.com", "")
				if err != nil {
					t.Fatal(err)
				}
				if u, err := node.Authenticate(ctx, secret); err != nil || u.Role != rapport.RoleAdmin {
					t.Fatalf("before the change: %v %v", u, err)
				}
				if err := tc.change(ctx, cli); err != nil {
					t.Fatal(err)
				}
				u, err := node.Authenticate(ctx, secret)
				if got := rapport.ErrorCode(err); got != tc.wantCode {
					t.Fatalf("next Authenticate code=%q, want %q", got, tc.wantCode)
				}
				if err == nil && u.Role != tc.wantRole {
					t.Fatalf("next Authenticate role=%v, want %v", u.Role, tc.wantRole)
				}
			})
		})
	}
}

// TestReenableRevivesNothing: tokens issued before an account was disabled
// stay dead when it is enabled again; a new token works.
func TestReenableRevivesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		ctx := context.Background()
		mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		old, err := d.CreateToken(ctx, "pat@example.com", "laptop")
		if err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		for _, disabled := range []*bool{&yes, &no} {
			if _, err := d.UpdateUser(ctx, "pat@example.com", desk.UserUpdate{Disabled: disabled}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.Authenticate(ctx, old); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("old token after re-enabling: code=%q, want %q", rapport.ErrorCode(err), rapport.EUNAUTHORIZED)
		}
		if toks, err := d.Tokens(ctx, "pat@example.com"); err != nil || len(toks) != 0 {
			t.Fatalf("live tokens after re-enabling=%d (%v), want 0", len(toks), err)
		}
		fresh, err := d.CreateToken(ctx, "pat@example.com", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Authenticate(ctx, fresh); err != nil {
			t.Fatalf("new token after re-enabling: %v", err)
		}
	})
}

// TestLastAdmin: no change leaves Rapport without an enabled administrator.
func TestLastAdmin(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		ctx := context.Background()
		root := mustAdd(t, d, "root@example.com", rapport.RoleAdmin)
		yes, no, agent := true, false, rapport.RoleAgent
		for _, tc := range []struct {
			name string
			up   desk.UserUpdate
			want string
		}{
			{"demote the only admin", desk.UserUpdate{Role: &agent}, rapport.ECONFLICT},
			{"disable the only admin", desk.UserUpdate{Disabled: &yes}, rapport.ECONFLICT},
			{"rename the only admin", desk.UserUpdate{Name: ptr("Root")}, ""},
			{"enable the enabled admin", desk.UserUpdate{Disabled: &no}, ""},
		} {
			_, err := d.UpdateUserAsAdmin(as(root), root.ID, tc.up)
			if got := rapport.ErrorCode(err); got != tc.want {
				t.Fatalf("%s: code=%q, want %q", tc.name, got, tc.want)
			}
		}
		if u, _ := db.FindUserByID(ctx, root.ID); u.Role != rapport.RoleAdmin || u.DisabledAt != nil {
			t.Fatalf("root after refused changes: role=%v disabled=%v", u.Role, u.DisabledAt)
		}
		other := mustAdd(t, d, "ada@example.com", rapport.RoleAdmin)
		if _, err := d.UpdateUserAsAdmin(as(root), root.ID, desk.UserUpdate{Role: &agent}); err != nil {
			t.Fatalf("demote oneself beside another admin: %v", err)
		}
		if _, err := d.UpdateUserAsAdmin(as(other), other.ID, desk.UserUpdate{Disabled: &yes}); rapport.ErrorCode(err) != rapport.ECONFLICT {
			t.Fatalf("disable the last admin: code=%q, want %q", rapport.ErrorCode(err), rapport.ECONFLICT)
		}
		demoted := &rapport.User{ID: root.ID, Role: rapport.RoleAgent} // as the next request authenticates root
		if _, err := d.UpdateUserAsAdmin(as(demoted), other.ID, desk.UserUpdate{Role: &agent}); rapport.ErrorCode(err) != rapport.EFORBIDDEN {
			t.Fatalf("an agent changing accounts: code=%q, want %q", rapport.ErrorCode(err), rapport.EFORBIDDEN)
		}
	})
}

// TestLastAdminConcurrent: two administrators demoting each other at the
// same moment leave one of them an administrator.
func TestLastAdminConcurrent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		agent := rapport.RoleAgent
		for round := 0; round < 10; round++ {
			a := mustAdd(t, d, "a"+string(rune('0'+round))+"@example.com", rapport.RoleAdmin)
			b := mustAdd(t, d, "b"+string(rune('0'+round))+"@example.com", rapport.RoleAdmin)
			for _, u := range []*rapport.User{a, b} { // everyone else stands down
				admins, _, _ := d.AllUsers(context.Background(), rapport.UserFilter{Role: rapport.RoleAdmin, Limit: 500})
				for _, x := range admins {
					if x.ID != a.ID && x.ID != b.ID {
						if _, err := d.UpdateUserAsAdmin(as(u), x.ID, desk.UserUpdate{Role: &agent}); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, pair := range [][2]*rapport.User{{a, b}, {b, a}} {
				wg.Go(func() { _, errs[i] = d.UpdateUserAsAdmin(as(pair[0]), pair[1].ID, desk.UserUpdate{Role: &agent}) })
			}
			wg.Wait()
			admins, _, err := d.AllUsers(context.Background(), rapport.UserFilter{Role: rapport.RoleAdmin})
			if err != nil {
				t.Fatal(err)
			}
			if len(admins) != 1 {
				t.Fatalf("round %d: admins left=%d, want 1 (errors %v)", round, len(admins), errs)
			}
		}
	})
}

// TestOwnTokens: people list and revoke their own tokens, never another's.
func TestOwnTokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		d := desk.New(db)
		ctx := context.Background()
		pat := mustAdd(t, d, "pat@example.com", rapport.RoleRequester)
		sam := mustAdd(t, d, "sam@example.com", rapport.RoleRequester)
		laptop, _ := d.CreateToken(ctx, "pat@example.com", "laptop")
		phone, _ := d.CreateToken(ctx, "pat@example.com", "phone")
		samTok, _ := d.CreateToken(ctx, "sam@example.com", "")
		toks, err := d.MyTokens(as(pat))
		if err != nil || len(toks) != 2 || toks[0].Label != "phone" || toks[1].Label != "laptop" {
			t.Fatalf("MyTokens=%v (%v), want phone then laptop", toks, err)
		}
		samToks, _ := d.MyTokens(as(sam))
		if err := d.RevokeMyToken(as(pat), samToks[0].ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("revoke another's token: code=%q, want %q", rapport.ErrorCode(err), rapport.ENOTFOUND)
		}
		if _, err := d.Authenticate(ctx, samTok); err != nil {
			t.Fatalf("sam's token after pat's attempt: %v", err)
		}
		if err := d.RevokeMyToken(as(pat), toks[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := d.RevokeMyToken(as(pat), toks[1].ID); rapport.ErrorCode(err) != rapport.ENOTFOUND {
			t.Fatalf("revoke twice: code=%q, want %q", rapport.ErrorCode(err), rapport.ENOTFOUND)
		}
		if _, err := d.Authenticate(ctx, laptop); rapport.ErrorCode(err) != rapport.EUNAUTHORIZED {
			t.Fatalf("revoked token: code=%q, want %q", rapport.ErrorCode(err), rapport.EUNAUTHORIZED)
		}
		if _, err := d.Authenticate(ctx, phone); err != nil {
			t.Fatalf("other token: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
