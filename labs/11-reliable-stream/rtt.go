package rstream

import "time"

// RTT estimates a connection's round-trip time from samples, and from it the
// retransmission timeout, as TCP does (RFC 6298): a smoothed average of the
// samples, plus four times their mean deviation, so that a path whose round
// trips vary gets a timeout with room to spare.
//
// It only computes. Which samples to give it (never one from a segment that
// was sent more than once: Karn's rule) and when to double the timeout (each
// time it expires: back-off) is the Sender's business.
type RTT struct {
	min, max time.Duration
	initial  time.Duration
	srtt     time.Duration // the smoothed round-trip time
	rttvar   time.Duration // its mean deviation
	measured bool
}

// NewRTT returns an estimator whose RTO is c.InitialRTO until the first
// sample, and always between c.MinRTO and c.MaxRTO. c must have its
// defaults set (Config.WithDefaults).
func NewRTT(c Config) *RTT {
	return &RTT{min: c.MinRTO, max: c.MaxRTO, initial: c.InitialRTO}
}

// Sample adds one measured round trip: the time from sending a segment to
// receiving the acknowledgement that covers it.
func (r *RTT) Sample(d time.Duration) {
	if !r.measured {
		r.srtt, r.rttvar, r.measured = d, d/2, true
		return
	}
	diff := r.srtt - d
	if diff < 0 {
		diff = -diff
	}
	r.rttvar = (3*r.rttvar + diff) / 4
	r.srtt = (7*r.srtt + d) / 8
}

// RTO returns the retransmission timeout: the smoothed round-trip time plus
// four deviations, kept between the configured minimum and maximum.
func (r *RTT) RTO() time.Duration {
	if !r.measured {
		return r.initial
	}
	return min(max(r.srtt+4*r.rttvar, r.min), r.max)
}

// SRTT returns the smoothed round-trip time, or zero before the first
// sample.
func (r *RTT) SRTT() time.Duration { return r.srtt }
