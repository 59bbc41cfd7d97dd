/*
 * Site search when the documentation is opened from the file system.
 *
 * The theme's search runs in a Web Worker, and browsers refuse to start a
 * worker from a file:// page. On such a page this replaces `Worker` with one
 * that runs the worker's script in a hidden same-page iframe and passes
 * messages both ways the way a worker does (asynchronously, copied). A served
 * site keeps the browser's own `Worker`. The search index itself comes from
 * search/search_index.js, which mkdocs-material's offline plugin writes.
 *
 * mkdocs.yml lists this file under extra.polyfills: its name contains
 * "iframe-worker", so the offline plugin does not add a shim from a CDN,
 * which an offline reader could not load.
 */
(function () {
  "use strict";

  if (window.location.protocol !== "file:" || typeof window.EventTarget !== "function") {
    return;
  }

  var copy = typeof window.structuredClone === "function"
    ? function (data) { return window.structuredClone(data); }
    : function (data) { return data; };

  function later(action) {
    window.setTimeout(action, 0);
  }

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onerror = null;
      this._pending = [];
      this._scope = null;

      var worker = this;
      var frame = document.createElement("iframe");
      frame.setAttribute("aria-hidden", "true");
      frame.tabIndex = -1;
      frame.style.display = "none";
      document.documentElement.appendChild(frame);
      this._frame = frame;

      // The worker's global scope is the iframe's window: what its script
      // posts comes to this object's listeners.
      var scope = frame.contentWindow;
      scope.postMessage = function (data) {
        var message = copy(data);
        later(function () { worker._emit(new MessageEvent("message", { data: message })); });
      };
      scope.importScripts = function () {
        throw new Error("importScripts is not available to a worker run from the file system");
      };

      var script = scope.document.createElement("script");
      script.src = new URL(String(url), document.baseURI).href;
      script.onload = function () {
        worker._scope = scope;
        var pending = worker._pending;
        worker._pending = [];
        pending.forEach(function (data) { worker._deliver(data); });
      };
      script.onerror = function () {
        worker._emit(new ErrorEvent("error", { message: "could not load " + script.src }));
      };
      (scope.document.head || scope.document.documentElement).appendChild(script);
    }

    postMessage(data) {
      if (this._frame === null) {
        return;  // terminated
      }
      if (this._scope === null) {
        this._pending.push(copy(data));  // the script is still loading
      } else {
        this._deliver(copy(data));
      }
    }

    terminate() {
      if (this._frame !== null) {
        this._frame.remove();
      }
      this._frame = null;
      this._scope = null;
      this._pending = [];
    }

    _deliver(data) {
      var scope = this._scope;
      later(function () {
        if (scope !== null) {
          scope.dispatchEvent(new scope.MessageEvent("message", { data: data }));
        }
      });
    }

    _emit(event) {
      if (this._frame === null) {
        return;
      }
      this.dispatchEvent(event);
      var handler = event.type === "message" ? this.onmessage : this.onerror;
      if (typeof handler === "function") {
        handler.call(this, event);
      }
    }
  }

  window.Worker = FrameWorker;
})();
