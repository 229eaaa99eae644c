package dev.forwardauth.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} items added, newest first. Written on the hot path by every request thread, read
 * rarely (the status page): adding is one counter increment, one small object and one array write, without a
 * lock; reading copies and sorts. Each slot keeps the newest item that was meant for it, so a thread that was
 * slow to write never puts an old item over a newer one.
 */
final class BoundedHistory<T> {
    private record Slot<T>(long sequence, T item) {
    }

    private final AtomicLong next = new AtomicLong();
    private final AtomicReferenceArray<Slot<T>> slots;

    BoundedHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    void add(T item) {
        long sequence = next.getAndIncrement();
        int index = (int) (sequence % slots.length());
        Slot<T> slot = new Slot<>(sequence, item);
        Slot<T> current = slots.get(index);
        while (current == null || current.sequence() < sequence) {
            if (slots.compareAndSet(index, current, slot)) {
                return;
            }
            current = slots.get(index);
        }
    }

    /** A copy, newest first; at most {@code capacity} items. */
    List<T> newestFirst() {
        List<Slot<T>> taken = new ArrayList<>(slots.length());
        for (int i = 0; i < slots.length(); i++) {
            Slot<T> slot = slots.get(i);
            if (slot != null) {
                taken.add(slot);
            }
        }
        taken.sort(Comparator.comparingLong((Slot<T> slot) -> slot.sequence()).reversed());
        List<T> items = new ArrayList<>(taken.size());
        taken.forEach(slot -> items.add(slot.item()));
        return items;
    }

    int capacity() {
        return slots.length();
    }
}
