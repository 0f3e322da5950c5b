package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/store"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// TestProfileEveryRead saves a whole profile and reads it back through
// every path that loads a user: a reader that forgot the profile columns
// would hand the desk a person without their preferred name.
func TestProfileEveryRead(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		u := mustUser(t, db, "bob@example.com", rapport.RoleRequester)
		u.PreferredName, u.Pronunciation, u.Phone = "Bob", "ROB-ert", "+44 20 7946 0958"
		u.PreferredChannel, u.TimeZone, u.Language, u.Notes = rapport.ChannelPhone, "Europe/London", "en-GB", "Calls after 10 are best."
		if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
			t.Fatal(err)
		}
		// A new account may come with a profile too (CreateUser writes it).
		v, _ := rapport.NewUser("vi@example.com", "Vi Tran", rapport.RoleAgent, rapport.Now())
		v.Phone, v.PreferredName = "4321", "Vi"
		if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.CreateUser(ctx, v) }); err != nil {
			t.Fatal(err)
		}
		secret, tok := rapport.NewToken(u.ID, "", rapport.Now())
		_, sess := rapport.NewSession(u.ID, rapport.Now())
		if err := db.Update(ctx, func(tx rapport.Tx) error {
			if err := tx.CreateToken(ctx, tok); err != nil {
				return err
			}
			return tx.CreateSession(ctx, sess)
		}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			want *rapport.User
			read func() (*rapport.User, error)
		}{
			{"by id", u, func() (*rapport.User, error) { return db.FindUserByID(ctx, u.ID) }},
			{"by email", u, func() (*rapport.User, error) { return db.FindUserByEmail(ctx, u.Email) }},
			{"by token", u, func() (*rapport.User, error) { return db.FindUserByTokenHash(ctx, rapport.HashToken(secret)) }},
			{"credentials", u, func() (*rapport.User, error) { got, _, err := db.FindCredentials(ctx, u.Email); return got, err }},
			{"session", u, func() (*rapport.User, error) { _, got, err := db.FindSession(ctx, sess.ID); return got, err }},
			{"list", u, func() (*rapport.User, error) {
				us, _, err := db.FindUsers(ctx, rapport.UserFilter{Role: rapport.RoleRequester})
				if err != nil || len(us) != 1 {
					return nil, err
				}
				return us[0], nil
			}},
			{"locked", u, func() (got *rapport.User, err error) {
				err = db.Update(ctx, func(tx rapport.Tx) (err error) { got, err = tx.LockUser(ctx, u.ID); return err })
				return got, err
			}},
			{"in a transaction", u, func() (got *rapport.User, err error) {
				err = db.Update(ctx, func(tx rapport.Tx) (err error) { got, err = tx.FindUserByEmail(ctx, u.Email); return err })
				return got, err
			}},
			{"created with a profile", v, func() (*rapport.User, error) { return db.FindUserByID(ctx, v.ID) }},
		} {
			got, err := tc.read()
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			}
		}
		// The database refuses a channel the domain would refuse.
		u.PreferredChannel = "pigeon"
		if err := db.Update(ctx, func(tx rapport.Tx) error { return tx.UpdateUser(ctx, u) }); err == nil {
			t.Error("a preferred channel of pigeon was stored")
		}
	})
}
