package desk_test

import (
	"context"
	"testing"

	"github.com/rapportdesk/rapport"
	"github.com/rapportdesk/rapport/internal/desk"
	"github.com/rapportdesk/rapport/internal/testdb"
)

// BenchmarkAuthenticate: the cost of turning a bearer token into its user,
// paid by every API request, on each database.
func BenchmarkAuthenticate(b *testing.B) {
	for _, dialect := range testdb.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			d := desk.New(testdb.Open(b, dialect))
			ctx := context.Background()
			if _, err := d.AddUser(ctx, "pat@example.com", "Pat", rapport.RoleRequester); err != nil {
				b.Fatal(err)
			}
			secret, err := d.CreateToken(ctx, "pat@example.com", "")
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := d.Authenticate(ctx, secret); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
