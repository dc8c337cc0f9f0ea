package vouch

import "context"

// Actor is who makes a change, as recorded in the audit log.
type Actor struct {
	UserID int64  // 0 for the system or the command line
	Label  string // e.g. "ada@example.com", "cli:root", "system"
}

type actorKey struct{}

// WithActor returns a context carrying the actor of the changes made with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or the system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Label: "system"}
}

// UserActor is the actor for a signed-in user.
func UserActor(u *User) Actor {
	return Actor{UserID: u.ID, Label: u.Email}
}
