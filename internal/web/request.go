package web

import (
	"context"
)

// RequestIDHeader carries a request's id in both directions: a sane
// incoming value is kept, and the response always has one.
const RequestIDHeader = "X-Request-Id"

// RequestInfo is what the access log learns about a request while it is
// handled. The server puts one in every request's context.
type RequestInfo struct {
	ID     string
	UserID int64 // 0 until the caller is known
}

type requestKey struct{}

// NewContextWithRequest returns a copy of ctx that carries info.
func NewContextWithRequest(ctx context.Context, info *RequestInfo) context.Context {
	return context.WithValue(ctx, requestKey{}, info)
}

// RequestFromContext returns the request's info, or nil outside a request.
func RequestFromContext(ctx context.Context) *RequestInfo {
	info, _ := ctx.Value(requestKey{}).(*RequestInfo)
	return info
}

// RequestID returns the request's id, or "" outside a request.
func RequestID(ctx context.Context) string {
	if info := RequestFromContext(ctx); info != nil {
		return info.ID
	}
	return ""
}
